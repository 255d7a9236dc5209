-- 销赃收购人漏罪: thefts naming a buyer who is not a suspect in any art. 312 case
-- from days_before days before to days_after days after the theft (by the as-of date).
WITH theft AS (
    SELECT
        c.case_no, c._row, c.charge, c.occurred_at, c.lon, c.lat, c.county, c.loss_yuan,
        c.goods_category, c.fence_name, c.stage, c.place_text,
        CAST(c.occurred_at AS DATE) AS occurred_date,
        coalesce(l.entity_id, 'name:' || trim(c.fence_name)) AS fence_entity
    FROM criminal_cases AS c
    LEFT JOIN entity_lookup AS l ON l.name = c.fence_name AND l.credit_code IS NULL
    WHERE (c.charge_article = 264 OR (c.charge_article IS NULL AND c.charge LIKE '%盗窃%'))
      AND coalesce(c.stage, '') <> 'dropped'
      AND trim(coalesce(c.fence_name, '')) <> ''
      AND CAST(c.occurred_at AS DATE) <= {{ as_of }}
),
concealment_suspect AS (
    SELECT case_no, CAST(occurred_at AS DATE) AS occurred_date, unnest(suspect_names) AS suspect
    FROM criminal_cases
    WHERE (charge_article = 312 OR (charge_article IS NULL AND charge LIKE '%掩饰%隐瞒%'))
      AND CAST(occurred_at AS DATE) <= {{ as_of }}
),
concealment AS (
    SELECT s.case_no, s.occurred_date, coalesce(l.entity_id, 'name:' || trim(s.suspect)) AS suspect_entity
    FROM concealment_suspect AS s
    LEFT JOIN entity_lookup AS l ON l.name = s.suspect AND l.credit_code IS NULL
),
fence_thefts AS (
    SELECT fence_entity, count(*) AS fence_theft_count
    FROM theft
    GROUP BY fence_entity
)
SELECT
    t.case_no AS subject_id,
    CAST(NULL AS VARCHAR) AS period,
    CAST([] AS VARCHAR[]) AS related_ids,
    ['criminal_cases#' || CAST(t._row AS VARCHAR)] AS evidence,
    coalesce(t.county || '公安局', '雄安新区公安局') AS target_agency,
    t.lon, t.lat, t.county,
    t.charge,
    t.occurred_at,
    t.place_text,
    {{ days_after }} AS days_after,
    t.stage,
    t.fence_name,
    t.goods_category,
    t.loss_yuan,
    f.fence_theft_count
FROM theft AS t
JOIN fence_thefts AS f ON f.fence_entity = t.fence_entity
WHERE NOT EXISTS (
    SELECT 1
    FROM concealment AS d
    WHERE d.suspect_entity = t.fence_entity
      AND date_diff('day', t.occurred_date, d.occurred_date) BETWEEN -{{ days_before }} AND {{ days_after }}
)
