-- 出水超标未处罚模型无法判断的设施：执行标准为空，或不在参考表 discharge_standards 中。
-- The matching key folds spaces and widths exactly as effluent_exceedance_unenforced.sql does.
WITH facility AS (
    SELECT
        facility_id,
        discharge_standard,
        upper(translate(replace(replace(coalesce(discharge_standard, ''), ' ', ''), '　', ''),
            '０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ－／．（）',
            '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-/.()')) AS std_key
    FROM sewage_facilities
),
standard AS (
    SELECT
        upper(translate(replace(replace(standard_key, ' ', ''), '　', ''),
            '０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ－／．（）',
            '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-/.()')) AS std_key
    FROM ref_discharge_standards
)
SELECT
    f.facility_id AS subject_id,
    CASE
        WHEN f.std_key = '' THEN '执行标准为空'
        ELSE '执行标准“' || f.discharge_standard || '”不在排放标准参考表中'
    END AS reason
FROM facility AS f
WHERE NOT EXISTS (SELECT 1 FROM standard AS s WHERE s.std_key = f.std_key)
