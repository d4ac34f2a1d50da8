SELECT COUNT(*) AS "count" FROM "invoices" AS "source" WHERE ((NOT ("source"."status" = $1)) OR ("source"."payment" <= $2))
-- args: ["Paid",10]
