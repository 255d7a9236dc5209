-- 联单未闭合: not received more than unclosed_days after shipping (as of the
-- as-of date), or received with less than received_ratio of the shipped weight.
WITH manifest AS (
    SELECT
        m.*,
        -- A receipt dated after the as-of date was not yet known on that date.
        (m.receive_date IS NULL OR m.receive_date > {{ as_of }}) AS open_on_as_of,
        date_diff('day', m.ship_date, {{ as_of }}) AS days_since_ship
    FROM sludge_manifests AS m
    WHERE m.ship_date <= {{ as_of }}
),
judged AS (
    SELECT
        *,
        (open_on_as_of AND days_since_ship > {{ unclosed_days }}) AS not_received,
        (NOT open_on_as_of AND received_weight_t < {{ received_ratio }} * weight_t) AS short_received
    FROM manifest
)
SELECT
    j.manifest_no AS subject_id,
    CAST(NULL AS VARCHAR) AS period,
    CAST([] AS VARCHAR[]) AS related_ids,
    list_concat(
        ['sludge_manifests#' || CAST(j._row AS VARCHAR)],
        CASE WHEN f._row IS NULL THEN CAST([] AS VARCHAR[])
             ELSE ['sewage_facilities#' || CAST(f._row AS VARCHAR)] END
    ) AS evidence,
    f.supervisor_agency AS target_agency,
    f.lon, f.lat, f.county,
    j.facility_id,
    f.name AS facility_name,
    j.ship_date,
    j.receiver_name,
    j.carrier_name,
    j.weight_t,
    CASE WHEN j.open_on_as_of THEN NULL ELSE j.receive_date END AS receive_date,
    CASE WHEN j.open_on_as_of THEN NULL ELSE j.received_weight_t END AS received_weight_t,
    CASE WHEN j.not_received THEN j.days_since_ship END AS days_unreceived,
    CASE WHEN j.short_received THEN round(j.received_weight_t / j.weight_t, 3) END AS received_ratio,
    CASE
        WHEN j.not_received THEN '转移' || CAST(j.days_since_ship AS VARCHAR) || '日仍无接收确认'
        ELSE '接收量仅为转移量的' || CAST(round(100 * j.received_weight_t / j.weight_t, 1) AS VARCHAR) || '%'
    END AS reason
FROM judged AS j
LEFT JOIN sewage_facilities AS f ON f.facility_id = j.facility_id
WHERE j.not_received OR coalesce(j.short_received, false)
