SELECT COUNT(*) AS "count" FROM "invoices" AS "source" WHERE ((CAST(EXTRACT(DOW FROM CAST("source"."date_received" AS TIMESTAMP)) AS INTEGER) + 1) IN (CAST($1 AS BIGINT), CAST($2 AS BIGINT)))
-- args: [1,7]
