SELECT to_char(date_trunc('day', "source"."paid_at") - CAST(EXTRACT(DOW FROM "source"."paid_at") AS INTEGER) * INTERVAL '1 day', 'YYYY-MM-DD') AS "paid_at", COUNT(*) AS "count" FROM "invoices" AS "source" GROUP BY 1 ORDER BY 1 ASC NULLS FIRST
-- args: []
