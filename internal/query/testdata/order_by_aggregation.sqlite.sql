SELECT "source"."account_id" AS "account_id", SUM("source"."payment") AS "sum" FROM "invoices" AS "source" GROUP BY 1 ORDER BY 2 DESC, 1 ASC LIMIT ?
-- args: [3]
