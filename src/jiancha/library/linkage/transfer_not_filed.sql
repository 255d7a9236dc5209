-- 移送后逾期未受理、受理后逾期未作立案决定, judged at the as-of date: what had
-- not happened by then counts as not happened; what came late but came does not.
WITH transfer AS (
    SELECT
        t.*,
        t.accepted_date IS NOT NULL AND t.accepted_date <= {{ as_of }} AS accepted,
        coalesce(t.filing_decision, 'pending') <> 'pending'
            AND (t.filing_date IS NULL OR t.filing_date <= {{ as_of }}) AS decided
    FROM case_transfers AS t
    WHERE t.transfer_date <= {{ as_of }}
),
overdue AS (
    SELECT
        *,
        CASE WHEN NOT accepted THEN 'not_accepted' ELSE 'not_decided' END AS overdue_stage,
        CASE
            WHEN NOT accepted THEN date_diff('day', transfer_date, {{ as_of }})
            ELSE date_diff('day', accepted_date, {{ as_of }})
        END AS days_waiting
    FROM transfer
    WHERE (NOT accepted AND date_diff('day', transfer_date, {{ as_of }}) > {{ accept_days }})
       OR (accepted AND NOT decided AND date_diff('day', accepted_date, {{ as_of }}) > {{ filing_days }})
)
SELECT
    transfer_no AS subject_id,
    CAST(NULL AS VARCHAR) AS period,
    CASE WHEN decision_no IS NULL THEN CAST([] AS VARCHAR[]) ELSE [decision_no] END AS related_ids,
    ['case_transfers#' || CAST(_row AS VARCHAR)] AS evidence,
    coalesce(receiving_police, '公安机关') AS target_agency,
    agency AS transferring_agency,
    party_name,
    decision_no,
    transfer_date,
    accepted_date,
    filing_decision,
    overdue_stage,
    CASE WHEN overdue_stage = 'not_accepted' THEN '移送后逾期未受理' ELSE '受理后逾期未作出立案决定' END AS overdue_reason,
    days_waiting
FROM overdue
