-- 出水超标未处罚: months with >= min_exceed_days flag-N days above the facility
-- discharge-standard limit, and no penalty naming the operator within
-- penalty_window_days of the first exceeding day of the month (judged only once that
-- window has fully passed by the as-of date).
WITH standard AS (
    SELECT
        upper(translate(replace(replace(standard_key, ' ', ''), '　', ''),
            '０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ－／．（）',
            '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-/.()')) AS std_key,
        cod_mgl AS cod_limit, nh3n_mgl AS nh3n_limit, tp_mgl AS tp_limit, tn_mgl AS tn_limit
    FROM ref_discharge_standards
),
facility AS (
    SELECT f.*, s.cod_limit, s.nh3n_limit, s.tp_limit, s.tn_limit
    FROM sewage_facilities AS f
    JOIN standard AS s
      ON upper(translate(replace(replace(f.discharge_standard, ' ', ''), '　', ''),
            '０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ－／．（）',
            '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-/.()')) = s.std_key
),
exceeding_day AS (
    SELECT
        e.facility_id, e.date, e._row,
        strftime(e.date, '%Y-%m') AS period,
        e.cod_mgl, e.nh3n_mgl, e.tp_mgl, e.tn_mgl,
        CASE WHEN e.cod_mgl > f.cod_limit THEN 1 ELSE 0 END AS cod_over,
        CASE WHEN e.nh3n_mgl > f.nh3n_limit THEN 1 ELSE 0 END AS nh3n_over,
        CASE WHEN e.tp_mgl > f.tp_limit THEN 1 ELSE 0 END AS tp_over,
        CASE WHEN e.tn_mgl > f.tn_limit THEN 1 ELSE 0 END AS tn_over,
        greatest(
            coalesce(e.cod_mgl / f.cod_limit, 0), coalesce(e.nh3n_mgl / f.nh3n_limit, 0),
            coalesce(e.tp_mgl / f.tp_limit, 0), coalesce(e.tn_mgl / f.tn_limit, 0)
        ) AS worst_ratio
    FROM effluent_daily AS e
    JOIN facility AS f ON f.facility_id = e.facility_id
    WHERE e.data_flag = 'N'
      AND e.date <= {{ as_of }}
      AND (e.cod_mgl > f.cod_limit OR e.nh3n_mgl > f.nh3n_limit
           OR e.tp_mgl > f.tp_limit OR e.tn_mgl > f.tn_limit)
),
monthly AS (
    SELECT
        facility_id, period,
        count(*) AS exceed_days,
        min(date) AS first_exceed_date,
        max(date) AS last_exceed_date,
        sum(cod_over) AS cod_exceed_days, sum(nh3n_over) AS nh3n_exceed_days,
        sum(tp_over) AS tp_exceed_days, sum(tn_over) AS tn_exceed_days,
        max(cod_mgl) AS max_cod_mgl, max(nh3n_mgl) AS max_nh3n_mgl,
        max(tp_mgl) AS max_tp_mgl, max(tn_mgl) AS max_tn_mgl,
        round(max(worst_ratio), 2) AS max_exceed_ratio,
        list_sort(list(facility_id || '@' || strftime(date, '%Y-%m-%d'))) AS exceed_dates,
        list_transform(list_sort(list(_row)), r -> 'effluent_daily#' || CAST(r AS VARCHAR)) AS effluent_evidence
    FROM exceeding_day
    GROUP BY facility_id, period
    HAVING count(*) >= {{ min_exceed_days }}
),
operator_entity AS (
    SELECT f.facility_id, f.operator_credit_code, l.entity_id
    FROM facility AS f
    LEFT JOIN entity_lookup AS l
      ON l.name = f.operator_name
     AND l.credit_code IS NOT DISTINCT FROM nullif(trim(f.operator_credit_code), '')
),
penalty AS (
    SELECT p.decision_no, p.decision_date, p.party_credit_code, l.entity_id
    FROM admin_penalties AS p
    LEFT JOIN entity_lookup AS l
      ON l.name = p.party_name
     AND l.credit_code IS NOT DISTINCT FROM nullif(trim(p.party_credit_code), '')
)
SELECT
    m.facility_id AS subject_id,
    m.period,
    m.exceed_dates AS related_ids,
    list_concat(['sewage_facilities#' || CAST(f._row AS VARCHAR)], m.effluent_evidence) AS evidence,
    f.supervisor_agency AS target_agency,
    f.lon, f.lat, f.county,
    f.name AS facility_name,
    f.operator_name,
    f.discharge_standard,
    m.exceed_days,
    m.first_exceed_date,
    m.last_exceed_date,
    m.cod_exceed_days, m.nh3n_exceed_days, m.tp_exceed_days, m.tn_exceed_days,
    {{ penalty_window_days }} AS penalty_window_days,
    m.max_cod_mgl, m.max_nh3n_mgl, m.max_tp_mgl, m.max_tn_mgl,
    m.max_exceed_ratio,
    f.cod_limit, f.nh3n_limit, f.tp_limit, f.tn_limit
FROM monthly AS m
JOIN facility AS f ON f.facility_id = m.facility_id
WHERE date_diff('day', m.first_exceed_date, {{ as_of }}) >= {{ penalty_window_days }}
  AND NOT EXISTS (
      SELECT 1
      FROM operator_entity AS o
      JOIN penalty AS p
        ON (p.entity_id = o.entity_id OR p.party_credit_code = o.operator_credit_code)
      WHERE o.facility_id = m.facility_id
        AND date_diff('day', m.first_exceed_date, p.decision_date) BETWEEN 0 AND {{ penalty_window_days }}
  )
