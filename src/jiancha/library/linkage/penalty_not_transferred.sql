-- 应移未移: penalties whose facts reach a criminal threshold, with no transfer naming
-- the decision and none naming the same party from days_before days before to
-- days_after days after the decision date.
WITH facts AS (
    SELECT
        p.decision_no, p._row, p.agency, p.party_name, p.party_credit_code, p.decision_date,
        p.case_cause, p.fine_yuan,
        f.hazardous_waste_disposed_t, f.hazardous_waste_stored_t,
        f.heavy_metal_multiple_3x, f.heavy_metal_multiple_10x, f.other_pollutant_multiple,
        f.concealed_pipe, f.monitoring_interference,
        f.fake_goods_sales_yuan, f.fake_goods_unsold_value_yuan,
        f.mining_value_yuan, f.mining_volume_m3, f.basic_farmland_mu, f.other_farmland_mu,
        f.ground_zh, f.reading_zh, f.ground_basis,
        coalesce(f.hazardous_waste_disposed_t >= {{ hazardous_waste_t }}, FALSE) AS hit_waste,
        coalesce(f.heavy_metal_multiple_3x >= {{ heavy_metal_3x }}, FALSE) AS hit_metal_3x,
        coalesce(f.heavy_metal_multiple_10x >= {{ heavy_metal_10x }}, FALSE) AS hit_metal_10x,
        coalesce(f.fake_goods_sales_yuan >= {{ fake_goods_sales_yuan }}, FALSE) AS hit_sales,
        coalesce(f.fake_goods_unsold_value_yuan >= {{ fake_goods_unsold_yuan }}, FALSE) AS hit_unsold,
        coalesce(f.mining_value_yuan >= {{ mining_value_yuan }}, FALSE) AS hit_mining,
        coalesce(f.basic_farmland_mu >= {{ basic_farmland_mu }}, FALSE) AS hit_basic_farmland,
        coalesce(f.other_farmland_mu >= {{ other_farmland_mu }}, FALSE) AS hit_other_farmland
    FROM admin_penalties AS p
    JOIN penalty_facts AS f ON f.decision_no = p.decision_no
    WHERE p.decision_date <= {{ as_of }}
),
reaching AS (
    SELECT
        *,
        CAST(hit_waste AS INTEGER) + CAST(hit_metal_3x AS INTEGER) + CAST(hit_metal_10x AS INTEGER)
            + CAST(hit_sales AS INTEGER) + CAST(hit_unsold AS INTEGER) + CAST(hit_mining AS INTEGER)
            + CAST(hit_basic_farmland AS INTEGER) + CAST(hit_other_farmland AS INTEGER)
            + CAST(coalesce(concealed_pipe, FALSE) AS INTEGER)
            + CAST(coalesce(monitoring_interference, FALSE) AS INTEGER) AS thresholds_count
    FROM facts
),
penalty AS (
    SELECT r.*, l.entity_id,
        translate(replace(replace(r.decision_no, ' ', ''), '　', ''), '[]()（）【】〔〕［］', '〔〕〔〕〔〕〔〕〔〕〔〕') AS decision_key
    FROM reaching AS r
    LEFT JOIN entity_lookup AS l
      ON l.name = r.party_name AND l.credit_code IS NOT DISTINCT FROM r.party_credit_code
    WHERE r.thresholds_count > 0
),
transfer AS (
    SELECT t.transfer_no, t.transfer_date, t.party_credit_code, l.entity_id,
        translate(replace(replace(t.decision_no, ' ', ''), '　', ''), '[]()（）【】〔〕［］', '〔〕〔〕〔〕〔〕〔〕〔〕') AS decision_key
    FROM case_transfers AS t
    LEFT JOIN entity_lookup AS l
      ON l.name = t.party_name AND l.credit_code IS NOT DISTINCT FROM t.party_credit_code
    WHERE t.transfer_date <= {{ as_of }}
)
SELECT
    p.decision_no AS subject_id,
    CAST(NULL AS VARCHAR) AS period,
    CAST([] AS VARCHAR[]) AS related_ids,
    ['admin_penalties#' || CAST(p._row AS VARCHAR)] AS evidence,
    p.agency AS target_agency,
    p.party_name,
    p.party_credit_code,
    p.decision_date,
    p.case_cause,
    p.fine_yuan,
    concat_ws('；',
        CASE WHEN p.hit_waste THEN '非法排放、倾倒、处置危险废物' || CAST(p.hazardous_waste_disposed_t AS VARCHAR) || '吨' END,
        CASE WHEN p.monitoring_interference THEN '篡改、伪造自动监测数据或干扰自动监测设施' END,
        CASE WHEN p.concealed_pipe THEN '通过暗管、渗井、渗坑等逃避监管的方式排放污染物' END,
        CASE WHEN p.hit_metal_3x THEN '排放铅、汞、镉、铬、砷、铊、锑超标' || CAST(p.heavy_metal_multiple_3x AS VARCHAR) || '倍' END,
        CASE WHEN p.hit_metal_10x THEN '排放镍、铜、锌、银、钒、锰、钴超标' || CAST(p.heavy_metal_multiple_10x AS VARCHAR) || '倍' END,
        CASE WHEN p.hit_sales THEN '销售伪劣产品金额' || CAST(p.fake_goods_sales_yuan AS VARCHAR) || '元' END,
        CASE WHEN p.hit_unsold THEN '尚未销售的伪劣产品货值' || CAST(p.fake_goods_unsold_value_yuan AS VARCHAR) || '元' END,
        CASE WHEN p.hit_mining THEN '非法开采矿产品价值' || CAST(p.mining_value_yuan AS VARCHAR) || '元' END,
        CASE WHEN p.hit_basic_farmland THEN '非法占用永久基本农田' || CAST(p.basic_farmland_mu AS VARCHAR) || '亩' END,
        CASE WHEN p.hit_other_farmland THEN '非法占用其他耕地' || CAST(p.other_farmland_mu AS VARCHAR) || '亩' END
    ) AS criminal_thresholds,
    p.thresholds_count,
    -- The ground (criminal threshold or detention transfer) and what would change it, the reading
    -- (span quoted, arithmetic shown) and the provision keys, as the reader states them.
    coalesce(p.ground_zh, '') AS ground_zh,
    coalesce(p.reading_zh, '') AS reading_zh,
    coalesce(p.ground_basis, CAST([] AS VARCHAR[])) AS ground_basis,
    {{ days_after }} AS transfer_window_days,
    p.hit_waste, p.hit_metal_3x, p.hit_metal_10x, p.hit_sales, p.hit_unsold, p.hit_mining,
    p.hit_basic_farmland, p.hit_other_farmland,
    p.hazardous_waste_disposed_t, p.hazardous_waste_stored_t,
    p.heavy_metal_multiple_3x, p.heavy_metal_multiple_10x, p.other_pollutant_multiple,
    p.concealed_pipe, p.monitoring_interference,
    p.fake_goods_sales_yuan, p.fake_goods_unsold_value_yuan,
    p.mining_value_yuan, p.mining_volume_m3, p.basic_farmland_mu, p.other_farmland_mu
FROM penalty AS p
WHERE NOT EXISTS (
    SELECT 1
    FROM transfer AS t
    WHERE t.decision_key = p.decision_key
       OR ((t.entity_id = p.entity_id OR t.party_credit_code = p.party_credit_code)
           AND date_diff('day', p.decision_date, t.transfer_date)
               BETWEEN -{{ days_before }} AND {{ days_after }})
)
