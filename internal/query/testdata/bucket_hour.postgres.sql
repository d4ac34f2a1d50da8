SELECT to_char(date_trunc('hour', "source"."paid_at"), 'YYYY-MM-DD HH24:MI:SS') AS "paid_at", COUNT(*) AS "count" FROM "invoices" AS "source" GROUP BY 1 ORDER BY 1 ASC NULLS FIRST
-- args: []
