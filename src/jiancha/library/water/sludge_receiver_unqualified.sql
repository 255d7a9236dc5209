-- 接收单位无资质: on the ship date the receiver holds no valid disposal permit, or
-- no valid permit covers the disposal method of the manifest. A receiver matches a
-- permit by credit code when some permit carries that code, otherwise by resolved name.
WITH manifest AS (
    SELECT m.*, nullif(upper(trim(m.receiver_credit_code)), '') AS code
    FROM sludge_manifests AS m
    WHERE m.ship_date <= {{ as_of }}
),
permit AS (
    SELECT p.*, nullif(upper(trim(p.receiver_credit_code)), '') AS code
    FROM disposal_permits AS p
),
spelling AS (
    -- Two names match when some spelling of each resolves to the same entity.
    SELECT DISTINCT name, entity_id FROM entity_lookup
),
keyed AS (
    SELECT m.*, (c.code IS NOT NULL) AS code_on_permit
    FROM manifest AS m
    LEFT JOIN (SELECT DISTINCT code FROM permit WHERE code IS NOT NULL) AS c ON c.code = m.code
),
matched AS (
    SELECT m.manifest_no, p._row AS permit_row
    FROM keyed AS m
    JOIN permit AS p ON p.code = m.code
    WHERE m.code_on_permit
    UNION
    SELECT m.manifest_no, p._row
    FROM keyed AS m
    JOIN spelling AS a ON a.name = m.receiver_name
    JOIN spelling AS b ON b.entity_id = a.entity_id
    JOIN permit AS p ON p.receiver_name = b.name
    WHERE NOT m.code_on_permit
),
candidate AS (
    SELECT
        m.manifest_no,
        p.permit_no, p._row AS permit_row, p.valid_to,
        (p.valid_from <= m.ship_date AND m.ship_date <= p.valid_to) AS valid,
        (m.disposal_method IS NULL OR coalesce(list_contains(p.methods, m.disposal_method), false)) AS covers
    FROM matched AS x
    JOIN manifest AS m ON m.manifest_no = x.manifest_no
    JOIN permit AS p ON p._row = x.permit_row
),
judged AS (
    SELECT
        manifest_no,
        count(*) AS permits_found,
        count(*) FILTER (WHERE valid) AS permits_valid,
        count(*) FILTER (WHERE valid AND covers) AS permits_covering,
        max(valid_to) AS latest_valid_to,
        list_sort(list(permit_no)) AS permit_nos,
        list_transform(list_sort(list(permit_row)), r -> 'disposal_permits#' || CAST(r AS VARCHAR)) AS permit_evidence
    FROM candidate
    GROUP BY manifest_no
)
SELECT
    m.manifest_no AS subject_id,
    CAST(NULL AS VARCHAR) AS period,
    coalesce(j.permit_nos, CAST([] AS VARCHAR[])) AS related_ids,
    list_concat(
        ['sludge_manifests#' || CAST(m._row AS VARCHAR)],
        CASE WHEN f._row IS NULL THEN CAST([] AS VARCHAR[])
             ELSE ['sewage_facilities#' || CAST(f._row AS VARCHAR)] END,
        coalesce(j.permit_evidence, CAST([] AS VARCHAR[]))
    ) AS evidence,
    f.supervisor_agency AS target_agency,
    f.lon, f.lat, f.county,
    m.facility_id,
    f.name AS facility_name,
    m.ship_date,
    m.weight_t,
    m.receiver_name,
    m.receiver_credit_code,
    m.disposal_method,
    CASE
        WHEN coalesce(j.permits_found, 0) = 0 THEN '接收单位无污泥处置资质'
        WHEN j.permits_valid = 0 THEN '转移日接收单位资质不在有效期内'
        ELSE '接收单位资质不含该处置方式'
    END AS reason,
    coalesce(j.permits_found, 0) AS permits_found,
    j.latest_valid_to
FROM manifest AS m
LEFT JOIN judged AS j ON j.manifest_no = m.manifest_no
LEFT JOIN sewage_facilities AS f ON f.facility_id = m.facility_id
WHERE coalesce(j.permits_covering, 0) = 0
