-- 污泥暂存不规范: an inspection finds no roof, no impermeable floor or no leachate
-- collection, and no later inspection within recheck_days finds all three in
-- place; raised once recheck_days after the inspection have passed by the as-of date.
WITH inspection AS (
    SELECT
        i.*,
        (NOT coalesce(i.has_roof, true) OR NOT coalesce(i.has_impermeable_floor, true)
         OR NOT coalesce(i.has_leachate_collection, true)) AS deficient,
        coalesce(i.has_roof AND i.has_impermeable_floor AND i.has_leachate_collection, false) AS compliant
    FROM sludge_storage_inspections AS i
    WHERE i.inspection_date <= {{ as_of }}
),
unremedied AS (
    SELECT i.*
    FROM inspection AS i
    WHERE i.deficient
      AND date_diff('day', i.inspection_date, {{ as_of }}) >= {{ recheck_days }}
      AND NOT EXISTS (
          SELECT 1
          FROM inspection AS later
          WHERE later.facility_id = i.facility_id
            AND later.compliant
            AND later.inspection_date > i.inspection_date
            AND date_diff('day', i.inspection_date, later.inspection_date) <= {{ recheck_days }}
      )
),
monthly AS (
    SELECT
        facility_id,
        strftime(inspection_date, '%Y-%m') AS period,
        count(*) AS deficient_inspections,
        min(inspection_date) AS first_inspection_date,
        bool_or(NOT coalesce(has_roof, true)) AS no_roof,
        bool_or(NOT coalesce(has_impermeable_floor, true)) AS no_impermeable_floor,
        bool_or(NOT coalesce(has_leachate_collection, true)) AS no_leachate_collection,
        max(stock_t) AS max_stock_t,
        list_sort(list(DISTINCT inspector_agency)) AS inspector_agencies,
        list_transform(list_sort(list(_row)), r -> 'sludge_storage_inspections#' || CAST(r AS VARCHAR)) AS inspection_evidence
    FROM unremedied
    GROUP BY facility_id, strftime(inspection_date, '%Y-%m')
)
SELECT
    m.facility_id AS subject_id,
    m.period,
    CAST([] AS VARCHAR[]) AS related_ids,
    list_concat(['sewage_facilities#' || CAST(f._row AS VARCHAR)], m.inspection_evidence) AS evidence,
    f.supervisor_agency AS target_agency,
    f.lon, f.lat, f.county,
    f.name AS facility_name,
    f.operator_name,
    concat_ws('、',
        CASE WHEN m.no_roof THEN '无防雨设施' END,
        CASE WHEN m.no_impermeable_floor THEN '无防渗地面' END,
        CASE WHEN m.no_leachate_collection THEN '无渗滤液收集' END
    ) AS deficiencies,
    CAST(m.no_roof AS INTEGER) + CAST(m.no_impermeable_floor AS INTEGER)
        + CAST(m.no_leachate_collection AS INTEGER) AS deficiency_count,
    m.deficient_inspections,
    m.first_inspection_date,
    m.max_stock_t,
    array_to_string(m.inspector_agencies, '、') AS inspector_agencies,
    {{ recheck_days }} AS recheck_days
FROM monthly AS m
JOIN sewage_facilities AS f ON f.facility_id = m.facility_id
