SELECT (CAST(EXTRACT(DOW FROM "source"."paid_at") AS INTEGER) + 1) AS "paid_at", COUNT(*) AS "count" FROM "invoices" AS "source" GROUP BY 1 ORDER BY 1 ASC NULLS FIRST
-- args: []
