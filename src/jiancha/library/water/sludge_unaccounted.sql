-- 污泥去向不明: per facility and quarter, shipped weight plus the change in on-site
-- stock accounts for less than accounted_ratio of the sludge the operator reported.
WITH production AS (
    SELECT *, CAST(month || '-01' AS DATE) AS month_start
    FROM sludge_production
    WHERE CAST(month || '-01' AS DATE) <= {{ as_of }}
),
quarterly AS (
    SELECT
        facility_id,
        CAST(date_trunc('quarter', month_start) AS DATE) AS quarter_start,
        sum(produced_t) AS produced_t,
        arg_max(stock_end_t, month_start) FILTER (WHERE stock_end_t IS NOT NULL) AS reported_stock_t,
        list_transform(list_sort(list(_row)), r -> 'sludge_production#' || CAST(r AS VARCHAR)) AS production_evidence
    FROM production
    GROUP BY facility_id, CAST(date_trunc('quarter', month_start) AS DATE)
),
stock AS (
    -- Quarter-end stock: the last month-end stock reported up to the end of the quarter (0 before any).
    SELECT
        *,
        coalesce(last_value(reported_stock_t IGNORE NULLS) OVER w, 0) AS stock_end_t
    FROM quarterly
    WINDOW w AS (PARTITION BY facility_id ORDER BY quarter_start ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
),
stock_change AS (
    SELECT
        *,
        coalesce(lag(stock_end_t) OVER (PARTITION BY facility_id ORDER BY quarter_start), 0) AS stock_start_t
    FROM stock
),
shipped AS (
    SELECT
        facility_id,
        CAST(date_trunc('quarter', ship_date) AS DATE) AS quarter_start,
        sum(weight_t) AS shipped_t,
        list(manifest_no) AS manifest_nos,
        list_transform(list_sort(list(_row)), r -> 'sludge_manifests#' || CAST(r AS VARCHAR)) AS manifest_evidence
    FROM sludge_manifests
    WHERE ship_date <= {{ as_of }}
    GROUP BY facility_id, CAST(date_trunc('quarter', ship_date) AS DATE)
),
balance AS (
    SELECT
        s.*,
        coalesce(m.shipped_t, 0) AS shipped_t,
        coalesce(m.shipped_t, 0) + s.stock_end_t - s.stock_start_t AS accounted_t,
        coalesce(m.manifest_nos, CAST([] AS VARCHAR[])) AS manifest_nos,
        coalesce(m.manifest_evidence, CAST([] AS VARCHAR[])) AS manifest_evidence
    FROM stock_change AS s
    LEFT JOIN shipped AS m ON m.facility_id = s.facility_id AND m.quarter_start = s.quarter_start
)
SELECT
    b.facility_id AS subject_id,
    strftime(b.quarter_start, '%Y') || '-Q' || CAST(quarter(b.quarter_start) AS VARCHAR) AS period,
    list_sort(b.manifest_nos) AS related_ids,
    list_concat(
        ['sewage_facilities#' || CAST(f._row AS VARCHAR)],
        b.production_evidence, b.manifest_evidence
    ) AS evidence,
    f.supervisor_agency AS target_agency,
    f.lon, f.lat, f.county,
    f.name AS facility_name,
    f.operator_name,
    round(b.produced_t, 3) AS produced_t,
    round(b.shipped_t, 3) AS shipped_t,
    round(b.stock_start_t, 3) AS stock_start_t,
    round(b.stock_end_t, 3) AS stock_end_t,
    round(b.accounted_t, 3) AS accounted_t,
    round(b.produced_t - b.accounted_t, 3) AS unaccounted_t,
    round(b.accounted_t / b.produced_t, 3) AS accounted_ratio,
    {{ accounted_ratio }} AS required_ratio
FROM balance AS b
JOIN sewage_facilities AS f ON f.facility_id = b.facility_id
WHERE b.produced_t > 0
  AND b.accounted_t < {{ accounted_ratio }} * b.produced_t
