SELECT COUNT(*) AS "count" FROM "invoices" AS "source" WHERE ((CAST(EXTRACT(DOW FROM CAST("source"."date_received" AS TIMESTAMP)) AS INTEGER) + 1) IN ($1, $2))
-- args: [1,7]
