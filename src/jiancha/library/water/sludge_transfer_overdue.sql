-- 污泥转移不及时: checked at each month end (the as-of date in its own month).
-- Month-end stock above the on-site capacity, or — in a month with production —
-- gap_days or more since the last manifest shipped on or before that day (since
-- the first day of the sludge data, the earliest ledger month, when none was shipped).
WITH ledger AS (
    SELECT
        p.*,
        CAST(p.month || '-01' AS DATE) AS month_start,
        least(last_day(CAST(p.month || '-01' AS DATE)), {{ as_of }}) AS check_date,
        min(CAST(p.month || '-01' AS DATE)) OVER () AS data_start
    FROM sludge_production AS p
    WHERE CAST(p.month || '-01' AS DATE) <= {{ as_of }}
),
last_shipment AS (
    SELECT
        l.facility_id, l.month,
        max(m.ship_date) AS last_ship_date,
        arg_max(m.manifest_no, m.ship_date) AS last_manifest_no,
        arg_max(m._row, m.ship_date) AS last_manifest_row
    FROM ledger AS l
    JOIN sludge_manifests AS m ON m.facility_id = l.facility_id AND m.ship_date <= l.check_date
    GROUP BY l.facility_id, l.month
),
checked AS (
    SELECT
        l.*,
        s.last_ship_date, s.last_manifest_no, s.last_manifest_row,
        f.sludge_storage_t,
        date_diff('day', coalesce(s.last_ship_date, l.data_start), l.check_date) AS days_since_shipment,
        (l.stock_end_t > f.sludge_storage_t) AS over_capacity,
        (l.produced_t > 0
         AND date_diff('day', coalesce(s.last_ship_date, l.data_start), l.check_date) >= {{ gap_days }})
            AS shipment_gap
    FROM ledger AS l
    JOIN sewage_facilities AS f ON f.facility_id = l.facility_id
    LEFT JOIN last_shipment AS s ON s.facility_id = l.facility_id AND s.month = l.month
)
SELECT
    c.facility_id AS subject_id,
    c.month AS period,
    CASE WHEN c.last_manifest_no IS NULL THEN CAST([] AS VARCHAR[]) ELSE [c.last_manifest_no] END AS related_ids,
    list_concat(
        ['sewage_facilities#' || CAST(f._row AS VARCHAR), 'sludge_production#' || CAST(c._row AS VARCHAR)],
        CASE WHEN c.last_manifest_row IS NULL THEN CAST([] AS VARCHAR[])
             ELSE ['sludge_manifests#' || CAST(c.last_manifest_row AS VARCHAR)] END
    ) AS evidence,
    f.supervisor_agency AS target_agency,
    f.lon, f.lat, f.county,
    f.name AS facility_name,
    f.operator_name,
    concat_ws('；',
        CASE WHEN coalesce(c.over_capacity, false)
             THEN '月末库存' || CAST(c.stock_end_t AS VARCHAR) || '吨超过暂存容量' || CAST(c.sludge_storage_t AS VARCHAR) || '吨' END,
        CASE WHEN c.shipment_gap
             THEN '截至' || strftime(c.check_date, '%Y-%m-%d') || '已' || CAST(c.days_since_shipment AS VARCHAR) || '日未转移污泥' END
    ) AS reasons,
    c.check_date,
    c.produced_t,
    c.stock_end_t,
    c.sludge_storage_t,
    c.last_ship_date,
    c.days_since_shipment,
    {{ gap_days }} AS gap_days
FROM checked AS c
JOIN sewage_facilities AS f ON f.facility_id = c.facility_id
WHERE coalesce(c.over_capacity, false) OR c.shipment_gap
