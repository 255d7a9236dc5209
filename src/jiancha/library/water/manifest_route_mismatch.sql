-- 运输轨迹不符: the vehicle has GPS points from the ship date 00:00 to the receive
-- date 24:00, and none lies within route_radius_km of a permitted site of the
-- permits of the receiver valid on the ship date. Unreceived manifests are left to
-- manifest_unclosed. Plates compare without middle dots, spaces and hyphens, ignoring case.
WITH manifest AS (
    SELECT
        m.*,
        nullif(upper(trim(m.receiver_credit_code)), '') AS code,
        upper(replace(replace(replace(m.vehicle_plate, '·', ''), ' ', ''), '-', '')) AS plate_key
    FROM sludge_manifests AS m
    WHERE m.receive_date IS NOT NULL
      AND m.receive_date <= {{ as_of }}
      AND m.vehicle_plate IS NOT NULL
),
permit AS (
    SELECT p.*, nullif(upper(trim(p.receiver_credit_code)), '') AS code
    FROM disposal_permits AS p
),
spelling AS (
    -- Two names match when some spelling of each resolves to the same entity.
    SELECT DISTINCT name, entity_id FROM entity_lookup
),
keyed AS (
    SELECT m.*, (c.code IS NOT NULL) AS code_on_permit
    FROM manifest AS m
    LEFT JOIN (SELECT DISTINCT code FROM permit WHERE code IS NOT NULL) AS c ON c.code = m.code
),
matched AS (
    SELECT m.manifest_no, p._row AS permit_row
    FROM keyed AS m
    JOIN permit AS p ON p.code = m.code
    WHERE m.code_on_permit
    UNION
    SELECT m.manifest_no, p._row
    FROM keyed AS m
    JOIN spelling AS a ON a.name = m.receiver_name
    JOIN spelling AS b ON b.entity_id = a.entity_id
    JOIN permit AS p ON p.receiver_name = b.name
    WHERE NOT m.code_on_permit
),
site AS (
    -- The permitted sites: any permit matched and valid on the ship date, with coordinates.
    SELECT m.manifest_no, p.permit_no, p._row AS permit_row, p.lon, p.lat
    FROM matched AS x
    JOIN manifest AS m ON m.manifest_no = x.manifest_no
    JOIN permit AS p ON p._row = x.permit_row
    WHERE p.valid_from <= m.ship_date AND m.ship_date <= p.valid_to
      AND p.lon IS NOT NULL AND p.lat IS NOT NULL
),
track AS (
    SELECT m.manifest_no, g._row AS gps_row, g.ts, g.lon, g.lat
    FROM manifest AS m
    JOIN vehicle_gps AS g
      ON upper(replace(replace(replace(g.vehicle_plate, '·', ''), ' ', ''), '-', '')) = m.plate_key
     AND g.ts >= CAST(m.ship_date AS TIMESTAMP)
     AND g.ts < CAST(m.receive_date AS TIMESTAMP) + INTERVAL 1 DAY
),
point_distance AS (
    -- Haversine distance (km) from each GPS point to its nearest permitted site.
    SELECT
        t.manifest_no, t.gps_row, t.ts,
        min(2 * 6371.0088 * asin(sqrt(
            power(sin(radians(s.lat - t.lat) / 2), 2)
            + cos(radians(t.lat)) * cos(radians(s.lat)) * power(sin(radians(s.lon - t.lon) / 2), 2)
        ))) AS km
    FROM track AS t
    JOIN site AS s ON s.manifest_no = t.manifest_no
    GROUP BY t.manifest_no, t.gps_row, t.ts
),
judged AS (
    SELECT
        manifest_no,
        count(*) AS gps_points,
        min(km) AS min_distance_km,
        arg_min(gps_row, km) AS nearest_gps_row,
        arg_min(ts, km) AS nearest_ts
    FROM point_distance
    GROUP BY manifest_no
),
site_list AS (
    SELECT
        manifest_no,
        list_sort(list(DISTINCT permit_no)) AS permit_nos,
        list_transform(list_sort(list(DISTINCT permit_row)), r -> 'disposal_permits#' || CAST(r AS VARCHAR)) AS permit_evidence
    FROM site
    GROUP BY manifest_no
)
SELECT
    m.manifest_no AS subject_id,
    CAST(NULL AS VARCHAR) AS period,
    s.permit_nos AS related_ids,
    list_concat(
        ['sludge_manifests#' || CAST(m._row AS VARCHAR)],
        CASE WHEN f._row IS NULL THEN CAST([] AS VARCHAR[])
             ELSE ['sewage_facilities#' || CAST(f._row AS VARCHAR)] END,
        s.permit_evidence,
        ['vehicle_gps#' || CAST(j.nearest_gps_row AS VARCHAR)]
    ) AS evidence,
    f.supervisor_agency AS target_agency,
    f.lon, f.lat, f.county,
    m.facility_id,
    f.name AS facility_name,
    m.vehicle_plate,
    m.carrier_name,
    m.receiver_name,
    m.ship_date,
    m.receive_date,
    m.weight_t,
    j.gps_points,
    round(j.min_distance_km, 2) AS min_distance_km,
    j.nearest_ts
FROM judged AS j
JOIN manifest AS m ON m.manifest_no = j.manifest_no
JOIN site_list AS s ON s.manifest_no = j.manifest_no
LEFT JOIN sewage_facilities AS f ON f.facility_id = m.facility_id
WHERE j.min_distance_km > {{ route_radius_km }}
