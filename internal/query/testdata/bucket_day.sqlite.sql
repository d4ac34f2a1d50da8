SELECT date("source"."paid_at") AS "paid_at", COUNT(*) AS "count" FROM "invoices" AS "source" GROUP BY 1 ORDER BY 1 ASC
-- args: []
