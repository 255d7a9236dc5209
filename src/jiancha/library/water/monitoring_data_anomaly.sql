-- 在线监测数据异常: per facility and month, any of three signs of tampering
-- (flat runs of identical values, flow reported on near-zero power, manual values).
WITH effluent AS (
    SELECT
        e.*,
        (e.data_flag = 'N' AND e.cod_mgl IS NOT NULL AND e.nh3n_mgl IS NOT NULL
         AND e.tp_mgl IS NOT NULL AND e.tn_mgl IS NOT NULL) AS flat_candidate
    FROM effluent_daily AS e
    WHERE e.date <= {{ as_of }}
),
with_previous AS (
    SELECT
        *,
        lag(date) OVER w AS prev_date,
        lag(flat_candidate) OVER w AS prev_candidate,
        lag(cod_mgl) OVER w AS prev_cod, lag(nh3n_mgl) OVER w AS prev_nh3n,
        lag(tp_mgl) OVER w AS prev_tp, lag(tn_mgl) OVER w AS prev_tn
    FROM effluent
    WINDOW w AS (PARTITION BY facility_id ORDER BY date)
),
run_marked AS (
    -- A run goes on only from the calendar day before, itself a candidate with the same four values.
    SELECT
        *,
        sum(CASE WHEN flat_candidate AND NOT coalesce(
                prev_candidate AND date_diff('day', prev_date, date) = 1
                AND cod_mgl = prev_cod AND nh3n_mgl = prev_nh3n AND tp_mgl = prev_tp AND tn_mgl = prev_tn,
                false) THEN 1 ELSE 0 END)
            OVER (PARTITION BY facility_id ORDER BY date ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
            AS run_id
    FROM with_previous
),
run_day AS (
    SELECT *, row_number() OVER (PARTITION BY facility_id, run_id ORDER BY date) AS day_in_run
    FROM run_marked
    WHERE flat_candidate
),
flat_run AS (
    -- A run belongs to the month of its flat_run_days-th day.
    SELECT
        facility_id,
        strftime(max(CASE WHEN day_in_run = {{ flat_run_days }} THEN date END), '%Y-%m') AS period,
        count(*) AS run_days,
        min(date) AS run_first_date, max(date) AS run_last_date, min(cod_mgl) AS run_cod_mgl,
        list(facility_id || '@' || strftime(date, '%Y-%m-%d')) AS related,
        list(_row) AS effluent_rows,
        CAST([] AS BIGINT[]) AS power_rows
    FROM run_day
    GROUP BY facility_id, run_id
    HAVING count(*) >= {{ flat_run_days }}
),
median_power AS (
    SELECT facility_id, median(kwh) AS median_kwh
    FROM power_daily
    WHERE date <= {{ as_of }}
    GROUP BY facility_id
),
low_power_day AS (
    SELECT
        e.facility_id, strftime(e.date, '%Y-%m') AS period,
        e.facility_id || '@' || strftime(e.date, '%Y-%m-%d') AS related,
        e._row AS effluent_row,
        p._row AS power_row,
        m.median_kwh
    FROM effluent AS e
    JOIN power_daily AS p ON p.facility_id = e.facility_id AND p.date = e.date
    JOIN median_power AS m ON m.facility_id = e.facility_id
    WHERE e.data_flag = 'N' AND e.flow_m3 > 0 AND p.kwh < {{ power_ratio }} * m.median_kwh
),
low_power AS (
    SELECT
        facility_id, period, count(*) AS days, max(median_kwh) AS median_kwh,
        list(related) AS related,
        list(effluent_row) AS effluent_rows,
        list(power_row) AS power_rows
    FROM low_power_day
    GROUP BY facility_id, period
    HAVING count(*) >= {{ mismatch_days }}
),
manual_value AS (
    SELECT
        facility_id, strftime(date, '%Y-%m') AS period, count(*) AS days,
        list(facility_id || '@' || strftime(date, '%Y-%m-%d')) AS related,
        list(_row) AS effluent_rows,
        CAST([] AS BIGINT[]) AS power_rows
    FROM effluent
    WHERE data_flag = 'S'
    GROUP BY facility_id, strftime(date, '%Y-%m')
    HAVING count(*) >= {{ s_flag_days }}
),
sign AS (
    SELECT facility_id, period, run_days AS flat_days, 0 AS low_power_days, 0 AS s_flag_days,
           CAST(NULL AS DOUBLE) AS median_kwh, run_first_date, run_last_date, run_cod_mgl,
           related, effluent_rows, power_rows
    FROM flat_run
    UNION ALL
    SELECT facility_id, period, 0, days, 0, median_kwh, CAST(NULL AS DATE), CAST(NULL AS DATE),
           CAST(NULL AS DOUBLE), related, effluent_rows, power_rows
    FROM low_power
    UNION ALL
    SELECT facility_id, period, 0, 0, days, CAST(NULL AS DOUBLE), CAST(NULL AS DATE), CAST(NULL AS DATE),
           CAST(NULL AS DOUBLE), related, effluent_rows, power_rows
    FROM manual_value
),
monthly AS (
    SELECT
        facility_id, period,
        max(flat_days) AS longest_flat_run_days,
        max(low_power_days) AS low_power_days,
        max(s_flag_days) AS s_flag_days,
        max(median_kwh) AS median_kwh,
        min(run_first_date) AS flat_first_date,
        max(run_last_date) AS flat_last_date,
        min(run_cod_mgl) AS flat_cod_mgl,
        list_sort(list_distinct(flatten(list(related)))) AS related_ids,
        list_concat(
            list_transform(list_sort(list_distinct(flatten(list(effluent_rows)))),
                r -> 'effluent_daily#' || CAST(r AS VARCHAR)),
            list_transform(list_sort(list_distinct(flatten(list(power_rows)))),
                r -> 'power_daily#' || CAST(r AS VARCHAR))
        ) AS evidence
    FROM sign
    GROUP BY facility_id, period
)
SELECT
    m.facility_id AS subject_id,
    m.period,
    m.related_ids,
    list_concat(['sewage_facilities#' || CAST(f._row AS VARCHAR)], m.evidence) AS evidence,
    f.supervisor_agency AS target_agency,
    f.lon, f.lat, f.county,
    f.name AS facility_name,
    f.operator_name,
    concat_ws('；',
        CASE WHEN m.longest_flat_run_days > 0 THEN '连续' || CAST(m.longest_flat_run_days AS VARCHAR) || '日四项监测值完全相同' END,
        CASE WHEN m.low_power_days > 0 THEN CAST(m.low_power_days AS VARCHAR) || '日有出水量但用电量远低于日用电中位数' END,
        CASE WHEN m.s_flag_days > 0 THEN CAST(m.s_flag_days AS VARCHAR) || '日数据标记为手工设定值(S)' END
    ) AS anomalies,
    m.longest_flat_run_days,
    m.low_power_days,
    m.s_flag_days,
    round(m.median_kwh, 2) AS median_kwh,
    m.flat_first_date, m.flat_last_date, m.flat_cod_mgl,
    {{ power_ratio }} AS power_ratio
FROM monthly AS m
JOIN sewage_facilities AS f ON f.facility_id = m.facility_id
