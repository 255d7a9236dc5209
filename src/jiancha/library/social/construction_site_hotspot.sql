-- 工地周边案件高发: per quarter, thefts and injuries within each active site's radius;
-- a clue when the count reaches min_cases and median_multiple x the quarter's median
-- over all active sites (zeros included). The as-of quarter counts up to the as-of date.
WITH incident AS (
    SELECT
        case_no, _row, lon, lat,
        CAST(occurred_at AS DATE) AS occurred_date,
        CASE WHEN charge_article = 234 OR (charge_article IS NULL AND charge LIKE '%故意伤害%')
             THEN 'injury' ELSE 'theft' END AS kind
    FROM criminal_cases
    WHERE (charge_article IN (264, 234)
           OR (charge_article IS NULL AND (charge LIKE '%盗窃%' OR charge LIKE '%故意伤害%')))
      AND lon IS NOT NULL AND lat IS NOT NULL
      AND CAST(occurred_at AS DATE) <= {{ as_of }}
),
quarter AS (
    SELECT DISTINCT CAST(date_trunc('quarter', occurred_date) AS DATE) AS q_start
    FROM incident
),
quarter_span AS (
    SELECT
        q_start,
        least(CAST(q_start + INTERVAL 3 MONTH - INTERVAL 1 DAY AS DATE), {{ as_of }}) AS q_end,
        strftime(q_start, '%Y') || '-Q' || CAST(quarter(q_start) AS VARCHAR) AS period
    FROM quarter
),
site_quarter AS (
    SELECT s.site_id, s._row, s.lon, s.lat, coalesce(s.radius_m, {{ default_radius_m }}) AS radius_m,
           q.q_start, q.q_end, q.period
    FROM construction_sites AS s
    JOIN quarter_span AS q
      ON (s.start_date IS NULL OR s.start_date <= q.q_end)
     AND (s.end_date IS NULL OR s.end_date >= q.q_start)
),
nearby AS (
    SELECT sq.site_id, sq.period, i.case_no, i._row AS case_row, i.kind,
        2 * 6371000 * asin(sqrt(
            power(sin(radians(i.lat - sq.lat) / 2), 2)
            + cos(radians(sq.lat)) * cos(radians(i.lat)) * power(sin(radians(i.lon - sq.lon) / 2), 2)
        )) AS distance_m,
        sq.radius_m
    FROM site_quarter AS sq
    JOIN incident AS i ON i.occurred_date BETWEEN sq.q_start AND sq.q_end
),
counted AS (
    SELECT
        site_id, period,
        count(*) AS case_count,
        sum(CASE WHEN kind = 'theft' THEN 1 ELSE 0 END) AS theft_count,
        sum(CASE WHEN kind = 'injury' THEN 1 ELSE 0 END) AS injury_count,
        list_sort(list(case_no)) AS case_nos,
        list_sort(list('criminal_cases#' || CAST(case_row AS VARCHAR))) AS case_evidence
    FROM nearby
    WHERE distance_m <= radius_m
    GROUP BY site_id, period
),
per_site AS (
    SELECT sq.site_id, sq._row, sq.period, sq.radius_m, coalesce(c.case_count, 0) AS case_count,
           c.theft_count, c.injury_count, c.case_nos, c.case_evidence
    FROM site_quarter AS sq
    LEFT JOIN counted AS c ON c.site_id = sq.site_id AND c.period = sq.period
),
quarter_median AS (
    SELECT period, median(case_count) AS median_count, count(*) AS active_sites
    FROM per_site
    GROUP BY period
)
SELECT
    p.site_id AS subject_id,
    p.period,
    p.case_nos AS related_ids,
    list_concat(['construction_sites#' || CAST(p._row AS VARCHAR)], p.case_evidence) AS evidence,
    concat_ws('、', s.supervisor_agency, s.contractor_name) AS target_agency,
    s.lon, s.lat,
    s.name AS site_name,
    s.area,
    s.contractor_name,
    s.supervisor_agency,
    p.radius_m,
    p.case_count, p.theft_count, p.injury_count,
    m.median_count, m.active_sites
FROM per_site AS p
JOIN quarter_median AS m ON m.period = p.period
JOIN construction_sites AS s ON s.site_id = p.site_id
WHERE p.case_count >= {{ min_cases }}
  AND p.case_count >= {{ median_multiple }} * m.median_count
