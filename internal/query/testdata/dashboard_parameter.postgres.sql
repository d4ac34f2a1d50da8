SELECT COUNT(*) AS "count" FROM "invoices" AS "source" WHERE ("source"."status" = $1) AND (("source"."date_received" >= $2 AND "source"."date_received" < $3)) AND ("source"."payment" BETWEEN $4 AND $5)
-- args: ["Paid","2023-07-01","2023-08-01",10,150]
