SELECT COUNT(*) AS "count" FROM "invoices" AS "source" WHERE (("source"."payment" >= ?) AND ("source"."payment" < ?))
-- args: [50,150]
