SELECT COUNT(*) AS "count" FROM "invoices" AS "source" WHERE (("source"."payment" >= $1) AND ("source"."payment" < $2))
-- args: [50,150]
