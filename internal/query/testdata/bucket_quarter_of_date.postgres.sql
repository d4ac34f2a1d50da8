SELECT to_char(date_trunc('quarter', CAST("source"."date_received" AS TIMESTAMP)), 'YYYY-MM-DD') AS "date_received", COUNT(*) AS "count" FROM "invoices" AS "source" GROUP BY 1 ORDER BY 1 ASC NULLS FIRST
-- args: []
