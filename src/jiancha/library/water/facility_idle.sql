-- 建而不用: an operating facility idle on >= min_idle_days days of a month. Every
-- calendar day from the first day of effluent/power data to the as-of date is
-- assessed (on or after commissioning); a day with no effluent row is a null flow.
WITH span AS (
    SELECT min(first_day) AS first_day
    FROM (
        SELECT min(date) AS first_day FROM effluent_daily
        UNION ALL
        SELECT min(date) FROM power_daily
    ) AS firsts
),
calendar AS (
    SELECT CAST(day AS DATE) AS day
    FROM (SELECT unnest(generate_series(first_day, {{ as_of }}, INTERVAL 1 DAY)) AS day FROM span) AS days
),
facility_day AS (
    SELECT
        f.facility_id, c.day,
        e.flow_m3, e.data_flag, e._row AS effluent_row,
        p.kwh, p._row AS power_row
    FROM sewage_facilities AS f
    CROSS JOIN calendar AS c
    LEFT JOIN effluent_daily AS e ON e.facility_id = f.facility_id AND e.date = c.day
    LEFT JOIN power_daily AS p ON p.facility_id = f.facility_id AND p.date = c.day
    WHERE f.status = 'operating'
      AND (f.commissioned_date IS NULL OR c.day >= f.commissioned_date)
),
idle_day AS (
    SELECT
        *,
        (coalesce(flow_m3, 0) = 0) AS no_flow,
        (data_flag = 'F') AS flagged_stopped,
        (kwh < {{ idle_kwh }}) AS low_power
    FROM facility_day
),
monthly AS (
    SELECT
        facility_id,
        strftime(day, '%Y-%m') AS period,
        count(*) AS days_assessed,
        count(*) FILTER (WHERE no_flow OR flagged_stopped OR low_power) AS idle_days,
        count(*) FILTER (WHERE no_flow) AS no_flow_days,
        count(*) FILTER (WHERE flagged_stopped) AS f_flag_days,
        count(*) FILTER (WHERE low_power) AS low_power_days,
        min(day) FILTER (WHERE no_flow OR flagged_stopped OR low_power) AS first_idle_date,
        list(facility_id || '@' || strftime(day, '%Y-%m-%d'))
            FILTER (WHERE no_flow OR flagged_stopped OR low_power) AS related_ids,
        list_concat(
            list_transform(
                list_sort(list(effluent_row) FILTER (WHERE (no_flow OR flagged_stopped OR low_power) AND effluent_row IS NOT NULL)),
                r -> 'effluent_daily#' || CAST(r AS VARCHAR)),
            list_transform(
                list_sort(list(power_row) FILTER (WHERE (no_flow OR flagged_stopped OR low_power) AND power_row IS NOT NULL)),
                r -> 'power_daily#' || CAST(r AS VARCHAR))
        ) AS day_evidence
    FROM idle_day
    GROUP BY facility_id, strftime(day, '%Y-%m')
    HAVING count(*) FILTER (WHERE no_flow OR flagged_stopped OR low_power) >= {{ min_idle_days }}
)
SELECT
    m.facility_id AS subject_id,
    m.period,
    list_sort(m.related_ids) AS related_ids,
    list_concat(['sewage_facilities#' || CAST(f._row AS VARCHAR)], m.day_evidence) AS evidence,
    f.supervisor_agency AS target_agency,
    f.lon, f.lat, f.county,
    f.name AS facility_name,
    f.operator_name,
    f.facility_type,
    m.idle_days,
    m.days_assessed,
    m.no_flow_days,
    m.f_flag_days,
    m.low_power_days,
    m.first_idle_date,
    {{ idle_kwh }} AS idle_kwh
FROM monthly AS m
JOIN sewage_facilities AS f ON f.facility_id = m.facility_id
