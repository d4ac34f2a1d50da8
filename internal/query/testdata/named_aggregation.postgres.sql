SELECT "source"."status" AS "status", SUM("source"."payment") AS "total" FROM "invoices" AS "source" GROUP BY 1 ORDER BY 1 DESC NULLS LAST
-- args: []
