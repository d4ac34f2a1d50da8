SELECT "source"."account_id" AS "account_id", SUM("source"."payment") AS "sum" FROM "invoices" AS "source" GROUP BY 1 ORDER BY 2 DESC NULLS LAST, 1 ASC NULLS FIRST LIMIT $1
-- args: [3]
