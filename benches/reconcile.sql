-- posfee's reconciliation in one DuckDB query: read both CSV files with explicit types, find
-- declined trades, voids, duplicates, match by reference, check every pair against the
-- sft-traditional contract and count the rows per class on each side (integer fen throughout).
-- The rules, and what is not reproduced, are listed in benches/polars_lazy.py; the settings and
-- what was tried for speed in benches/duckdb_baseline.py, which runs this file.
--
-- The folder of the files is the variable `dir`, e.g. with the duckdb command line:
--   duckdb -cmd "SET VARIABLE dir = 'target/bench-data/20000'" < benches/reconcile.sql
-- Result: (l_class, s_class, n): n rows of the full join with that ledger class and that
-- statement class (NULL: no row of that side).
WITH
ledger AS (
    SELECT
        row_number() OVER () AS row,
        rrn, terminal, "time", channel, kind, original_rrn,
        CAST(amount * 100 AS BIGINT) AS amount,
        coalesce(response_code, '00') = '00' AS approved
    FROM read_csv(getvariable('dir') || '/ledger.csv', header = true, auto_detect = false, columns = {
        'trade_id': 'VARCHAR', 'rrn': 'VARCHAR', 'trace': 'VARCHAR', 'terminal': 'VARCHAR',
        'merchant_no': 'VARCHAR', 'time': 'TIMESTAMP', 'amount': 'DECIMAL(18,2)', 'channel': 'VARCHAR',
        'card_type': 'VARCHAR', 'kind': 'VARCHAR', 'response_code': 'VARCHAR', 'original_rrn': 'VARCHAR'})
),
statement AS (
    SELECT
        清算日期 AS settled, 商户号 AS merchant_no, 终端号 AS terminal, 交易日期 AS trade_date,
        交易时间 AS clock, 参考号 AS rrn,
        CASE 交易类型 WHEN '消费' THEN 'purchase' WHEN '退货' THEN 'refund' WHEN '撤销' THEN 'void' END AS kind,
        CAST(交易金额 * 100 AS BIGINT) AS amount,
        CAST(手续费 * 100 AS BIGINT) AS fee,
        CAST(结算金额 * 100 AS BIGINT) AS net,
        row_number() OVER () AS row
    FROM read_csv(getvariable('dir') || '/statement.csv', header = true, auto_detect = false, dateformat = '%Y%m%d', columns = {
        '清算日期': 'DATE', '商户号': 'VARCHAR', '商户名称': 'VARCHAR', '终端号': 'VARCHAR', '交易日期': 'DATE',
        '交易时间': 'VARCHAR', '交易金额': 'DECIMAL(18,2)', '手续费': 'DECIMAL(18,2)', '结算金额': 'DECIMAL(18,2)',
        '参考号': 'VARCHAR', '卡类别': 'VARCHAR', '交易类型': 'VARCHAR'})
),
due AS (
    SELECT * FROM read_csv(getvariable('dir') || '/due_dates.csv', header = true, auto_detect = false,
        columns = {'trade_day': 'DATE', 'due_date': 'DATE'})
),
-- Voids: the first approved void of a (reference, terminal) voids the first approved purchase
-- with it; any other void has no original.
first_voids AS (
    SELECT original_rrn, terminal, min(row) AS row FROM ledger WHERE approved AND kind = 'void' GROUP BY ALL
),
voided_purchases AS (
    SELECT p.rrn, p.terminal, min(p.row) AS row
    FROM ledger p SEMI JOIN first_voids v ON p.rrn = v.original_rrn AND p.terminal = v.terminal
    WHERE p.approved AND p.kind = 'purchase'
    GROUP BY ALL
),
-- Refunds: the first approved purchase of the original reference (any terminal); a refund
-- above it or before it cannot be checked.
originals AS (
    SELECT rrn, arg_min(amount, row) AS amount, arg_min("time", row) AS "time" FROM ledger
    WHERE approved AND kind = 'purchase' AND rrn IN (SELECT original_rrn FROM ledger WHERE kind = 'refund')
    GROUP BY rrn
),
exceptions AS (
    SELECT row, true AS voided, NULL AS unchecked FROM voided_purchases
    UNION ALL
    SELECT v.row, true, NULL FROM first_voids v SEMI JOIN voided_purchases p ON p.rrn = v.original_rrn AND p.terminal = v.terminal
    UNION ALL
    SELECT r.row, NULL, r.amount > o.amount OR r."time" < o."time"
    FROM ledger r JOIN originals o ON r.original_rrn = o.rrn WHERE r.kind = 'refund'
),
-- Duplicates: the first row (lowest file row) of each (reference, terminal, trade date), or for
-- rows without a reference of each (terminal, time, amount, kind), found by a 64-bit hash of the
-- key; on the ledger only among the rows left after declined and voided. The same hash is the
-- key of the full join.
l1 AS (
    SELECT ledger.*, e.voided IS NOT NULL AS voided, coalesce(e.unchecked, false) AS unchecked,
        CASE WHEN approved AND kind <> 'void' AND e.voided IS NULL THEN
            CASE WHEN rrn IS NOT NULL THEN hash(rrn, terminal, CAST("time" AS DATE))
            ELSE hash(terminal, "time", amount, kind) END
        END AS key
    FROM ledger LEFT JOIN exceptions e USING (row)
),
l_first AS (SELECT min(row) AS row, true AS first FROM l1 WHERE key IS NOT NULL GROUP BY key),
l AS (
    SELECT
        CASE
            WHEN NOT approved THEN 'declined'
            WHEN voided THEN 'voided'
            WHEN kind = 'void' THEN 'void_without_original'
            WHEN f.first IS NULL THEN 'ledger_duplicate'
        END AS pre,
        CASE WHEN f.first AND rrn IS NOT NULL THEN key END AS key,
        true AS present, kind, amount, unchecked,
        -- the contract's fee (sft-traditional, half up to the fen; refunds keep the fee)
        CASE WHEN kind = 'purchase' THEN
            CASE channel
                WHEN 'credit' THEN (amount * 60 + 5000) // 10000
                WHEN 'debit' THEN least((amount * 55 + 5000) // 10000, 2000)
                ELSE (amount * 38 + 5000) // 10000
            END
        ELSE 0 END AS expected,
        due.due_date
    FROM l1 LEFT JOIN l_first f USING (row)
    LEFT JOIN due ON due.trade_day = CAST("time" + INTERVAL 1 HOUR AS DATE)  -- after the 23:00 cut-off: the next day
),
s1 AS (
    SELECT *,
        CASE WHEN rrn IS NOT NULL THEN hash(rrn, terminal, trade_date)
        ELSE hash(terminal, trade_date, clock, amount, kind) END AS key
    FROM statement
),
s_first AS (SELECT min(row) AS row, true AS first FROM s1 GROUP BY key),
s AS (
    SELECT
        f.first IS NULL AS dup,
        CASE WHEN f.first AND rrn IS NOT NULL THEN key END AS key,
        true AS present, kind, amount, fee, settled,
        net <> CASE WHEN kind = 'purchase' THEN amount ELSE -amount END - fee AS net_differs,
        settled < trade_date AS before_trade,
        merchant_no IS NOT NULL AND merchant_no <> '102310058120001' AS merchant_differs
    FROM s1 LEFT JOIN s_first f USING (row)
),
-- A pair is a ledger row and a statement row with the same key and the same kind.
joined AS (
    SELECT
        l.pre, l.kind, l.amount, l.expected, l.due_date, l.unchecked,
        s.dup, s.kind AS s_kind, s.amount AS s_amount, s.fee, s.settled, s.net_differs, s.before_trade, s.merchant_differs,
        l.present IS NOT NULL AS has_l, s.present IS NOT NULL AS has_s
    FROM l FULL OUTER JOIN s ON l.key = s.key
),
classed AS (
    SELECT *,
        CASE
            WHEN NOT has_l OR NOT has_s OR kind <> s_kind THEN NULL
            WHEN amount <> s_amount THEN 'amount_differs'
            WHEN NOT unchecked AND fee > expected AND (fee - expected) % 10 = 0 AND kind = 'purchase' THEN 'extra_fee'
            WHEN NOT unchecked AND fee > expected THEN 'fee_above'
            WHEN NOT unchecked AND fee < expected THEN 'fee_below'
            WHEN net_differs THEN 'net_differs'
            WHEN NOT unchecked AND settled > due_date THEN 'settled_late'
            WHEN before_trade THEN 'settled_before_trade'
            WHEN merchant_differs THEN 'merchant_differs'
            WHEN unchecked THEN 'unchecked'
            ELSE 'ok'
        END AS pair_class
    FROM joined
)
SELECT
    CASE WHEN has_l THEN coalesce(pre, pair_class, 'never_settled') END AS l_class,
    CASE WHEN has_s THEN CASE WHEN dup THEN 'statement_duplicate' ELSE coalesce(pair_class, 'no_ledger_trade') END END AS s_class,
    count(*) AS n
FROM classed
GROUP BY ALL;
