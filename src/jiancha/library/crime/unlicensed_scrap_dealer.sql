-- 废品收购点: sightings grouped by resolved dealer; a clue when it is unregistered,
-- has no commerce filing, buys production scrap metal named in thefts without a
-- police filing, or was seen within site_distance_m of an active construction site.
WITH sighting AS (
    SELECT
        e.event_id, e._row, CAST(e.reported_at AS DATE) AS seen_date, e.lon, e.lat, e.subject_name,
        coalesce(l.entity_id, 'event:' || e.event_id) AS dealer
    FROM grid_events AS e
    LEFT JOIN entity_lookup AS l ON l.name = e.subject_name AND l.credit_code IS NULL
    WHERE e.category = '废品收购点' AND CAST(e.reported_at AS DATE) <= {{ as_of }}
),
registered AS (
    SELECT DISTINCT l.entity_id
    FROM business_registry AS r
    JOIN entity_lookup AS l ON l.name = r.name AND l.credit_code IS NOT DISTINCT FROM r.credit_code
    WHERE r.status = '存续' AND (r.established_date IS NULL OR r.established_date <= {{ as_of }})
),
commerce_filed AS (
    SELECT DISTINCT l.entity_id
    FROM scrap_dealer_filings AS f
    JOIN entity_lookup AS l ON l.name = f.name AND l.credit_code IS NOT DISTINCT FROM f.credit_code
    WHERE f.filing_date <= {{ as_of }}
),
police_filed AS (
    SELECT DISTINCT l.entity_id
    FROM police_scrap_filings AS f
    JOIN entity_lookup AS l ON l.name = f.name AND l.credit_code IS NOT DISTINCT FROM f.credit_code
    WHERE f.filing_date <= {{ as_of }}
),
scrap_theft AS (
    SELECT
        l.entity_id,
        list_sort(list(c.case_no)) AS case_nos,
        count(*) AS scrap_theft_count,
        list_sort(list('criminal_cases#' || CAST(c._row AS VARCHAR))) AS case_evidence
    FROM criminal_cases AS c
    JOIN entity_lookup AS l ON l.name = c.fence_name AND l.credit_code IS NULL
    WHERE (c.charge_article = 264 OR (c.charge_article IS NULL AND c.charge LIKE '%盗窃%'))
      AND coalesce(c.stage, '') <> 'dropped'
      AND trim(c.goods_category) IN ('电缆', '钢筋', '钢材', '废旧金属')
      AND CAST(c.occurred_at AS DATE) <= {{ as_of }}
    GROUP BY l.entity_id
),
site_distance AS (
    SELECT
        s.dealer, c.site_id, c.name AS site_name, c._row AS site_row,
        2 * 6371000 * asin(sqrt(
            power(sin(radians(c.lat - s.lat) / 2), 2)
            + cos(radians(s.lat)) * cos(radians(c.lat)) * power(sin(radians(c.lon - s.lon) / 2), 2)
        )) AS distance_m
    FROM sighting AS s
    JOIN construction_sites AS c
      ON (c.start_date IS NULL OR c.start_date <= s.seen_date)
     AND (c.end_date IS NULL OR c.end_date >= s.seen_date)
    WHERE s.lon IS NOT NULL AND s.lat IS NOT NULL
),
near_site AS (
    SELECT
        dealer,
        list_sort(list(DISTINCT site_id)) AS site_ids,
        list_sort(list(DISTINCT site_name)) AS site_names,
        list_sort(list(DISTINCT 'construction_sites#' || CAST(site_row AS VARCHAR))) AS site_evidence,
        round(min(distance_m), 1) AS nearest_site_m
    FROM site_distance
    WHERE distance_m <= {{ site_distance_m }}
    GROUP BY dealer
),
dealer AS (
    SELECT
        dealer,
        min(event_id) AS first_event_id,
        list_sort(list(event_id)) AS event_ids,
        list_sort(list('grid_events#' || CAST(_row AS VARCHAR))) AS event_evidence,
        min(seen_date) AS first_seen,
        max(seen_date) AS last_seen,
        count(*) AS sightings
    FROM sighting
    GROUP BY dealer
),
judged AS (
    SELECT
        d.*,
        s.subject_name AS dealer_name, s.lon, s.lat,
        r.entity_id IS NULL AS no_registration,
        cf.entity_id IS NULL AS no_commerce_filing,
        t.entity_id IS NOT NULL AND pf.entity_id IS NULL AS unfiled_production_scrap_buyer,
        n.dealer IS NOT NULL AS near_active_site,
        t.case_nos AS scrap_theft_cases,
        t.scrap_theft_count,
        n.site_names AS near_site_names,
        t.case_evidence,
        n.site_ids AS near_sites,
        n.site_evidence,
        n.nearest_site_m
    FROM dealer AS d
    JOIN sighting AS s ON s.event_id = d.first_event_id
    LEFT JOIN registered AS r ON r.entity_id = d.dealer
    LEFT JOIN commerce_filed AS cf ON cf.entity_id = d.dealer
    LEFT JOIN police_filed AS pf ON pf.entity_id = d.dealer
    LEFT JOIN scrap_theft AS t ON t.entity_id = d.dealer
    LEFT JOIN near_site AS n ON n.dealer = d.dealer
)
SELECT
    first_event_id AS subject_id,
    CAST(NULL AS VARCHAR) AS period,
    event_ids AS related_ids,
    list_concat(event_evidence, coalesce(case_evidence, CAST([] AS VARCHAR[])),
        coalesce(site_evidence, CAST([] AS VARCHAR[]))) AS evidence,
    concat_ws('、',
        CASE WHEN no_registration THEN '市场监督管理部门' END,
        CASE WHEN no_commerce_filing THEN '商务主管部门' END,
        CASE WHEN unfiled_production_scrap_buyer OR near_active_site THEN '公安机关' END
    ) AS target_agency,
    lon, lat,
    dealer_name,
    sightings, first_seen, last_seen,
    no_registration, no_commerce_filing, unfiled_production_scrap_buyer, near_active_site,
    concat_ws('；',
        CASE WHEN no_registration THEN '无存续的市场主体登记' END,
        CASE WHEN no_commerce_filing THEN '未办理再生资源回收经营者备案' END,
        CASE WHEN unfiled_production_scrap_buyer THEN '收购盗窃所得生产性废旧金属且未办理公安备案' END,
        CASE WHEN near_active_site THEN '在施工工地附近设点收购' END
    ) AS reasons,
    scrap_theft_cases, near_sites, nearest_site_m,
    scrap_theft_count, near_site_names,
    {{ site_distance_m }} AS site_distance_m
FROM judged
WHERE no_registration OR no_commerce_filing OR unfiled_production_scrap_buyer OR near_active_site
