SELECT date("source"."paid_at", 'start of month', '-' || ((CAST(strftime('%m', "source"."paid_at") AS INTEGER) - 1) % 3) || ' months') AS "paid_at", COUNT(*) AS "count" FROM "invoices" AS "source" GROUP BY 1 ORDER BY 1 ASC
-- args: []
