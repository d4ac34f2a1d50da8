SELECT COUNT(*) AS "count" FROM "invoices" AS "source" WHERE ((CAST(strftime('%w', "source"."date_received") AS INTEGER) + 1) IN (?, ?))
-- args: [1,7]
