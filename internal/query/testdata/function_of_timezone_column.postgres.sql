SELECT CAST(EXTRACT(HOUR FROM ("source"."sent_at" AT TIME ZONE $1)) AS INTEGER) AS "H", (("source"."sent_at" AT TIME ZONE $2) + CAST(CAST($3 AS BIGINT) AS INTEGER) * INTERVAL '1 hour') AS "Later" FROM "invoices" AS "source" LIMIT $4
-- args: ["Europe/Berlin","Europe/Berlin",3,3]
