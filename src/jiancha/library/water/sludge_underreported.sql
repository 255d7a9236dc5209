-- 污泥产生量少报: per facility and quarter, the reported sludge falls below
-- underreport_ratio of what the treated volume implies at the usual yield of its type.
WITH treated AS (
    SELECT
        facility_id,
        CAST(date_trunc('quarter', date) AS DATE) AS quarter_start,
        sum(flow_m3) AS treated_m3,
        count(*) AS effluent_days,
        list_transform(list_sort(list(_row)), r -> 'effluent_daily#' || CAST(r AS VARCHAR)) AS effluent_evidence
    FROM effluent_daily
    WHERE date <= {{ as_of }}
    GROUP BY facility_id, CAST(date_trunc('quarter', date) AS DATE)
),
reported AS (
    SELECT
        facility_id,
        CAST(date_trunc('quarter', CAST(month || '-01' AS DATE)) AS DATE) AS quarter_start,
        sum(produced_t) AS reported_t,
        list_transform(list_sort(list(_row)), r -> 'sludge_production#' || CAST(r AS VARCHAR)) AS production_evidence
    FROM sludge_production
    WHERE CAST(month || '-01' AS DATE) <= {{ as_of }}
    GROUP BY facility_id, CAST(date_trunc('quarter', CAST(month || '-01' AS DATE)) AS DATE)
),
expected AS (
    SELECT
        t.*,
        f.facility_type,
        CASE f.facility_type
            WHEN 'town_plant' THEN {{ yield_town_t_per_10k_m3 }}
            WHEN 'rural_station' THEN {{ yield_rural_t_per_10k_m3 }}
        END AS yield_t_per_10k_m3
    FROM treated AS t
    JOIN sewage_facilities AS f ON f.facility_id = t.facility_id
),
compared AS (
    SELECT
        e.*,
        e.treated_m3 / 10000 * e.yield_t_per_10k_m3 AS implied_t,
        coalesce(r.reported_t, 0) AS reported_t,
        coalesce(r.production_evidence, CAST([] AS VARCHAR[])) AS production_evidence
    FROM expected AS e
    LEFT JOIN reported AS r ON r.facility_id = e.facility_id AND r.quarter_start = e.quarter_start
    WHERE e.yield_t_per_10k_m3 IS NOT NULL
)
SELECT
    c.facility_id AS subject_id,
    strftime(c.quarter_start, '%Y') || '-Q' || CAST(quarter(c.quarter_start) AS VARCHAR) AS period,
    CAST([] AS VARCHAR[]) AS related_ids,
    list_concat(
        ['sewage_facilities#' || CAST(f._row AS VARCHAR)],
        c.production_evidence, c.effluent_evidence
    ) AS evidence,
    f.supervisor_agency AS target_agency,
    f.lon, f.lat, f.county,
    f.name AS facility_name,
    f.operator_name,
    c.facility_type,
    round(c.treated_m3, 1) AS treated_m3,
    c.yield_t_per_10k_m3,
    round(c.implied_t, 3) AS implied_t,
    round(c.reported_t, 3) AS reported_t,
    round(c.reported_t / c.implied_t, 3) AS reported_ratio
FROM compared AS c
JOIN sewage_facilities AS f ON f.facility_id = c.facility_id
WHERE c.implied_t > 0
  AND c.reported_t < {{ underreport_ratio }} * c.implied_t
