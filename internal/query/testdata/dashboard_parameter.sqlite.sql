SELECT COUNT(*) AS "count" FROM "invoices" AS "source" WHERE ("source"."status" = ?) AND (("source"."date_received" >= ? AND "source"."date_received" < ?)) AND ("source"."payment" BETWEEN ? AND ?)
-- args: ["Paid","2023-07-01","2023-08-01",10,150]
