SELECT COUNT(*) AS "count", SUM("source"."payment") AS "sum" FROM "invoices" AS "source" WHERE ("source"."payment" BETWEEN $1 AND $2)
-- args: [20,80.5]
