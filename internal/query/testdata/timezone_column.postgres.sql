SELECT to_char(date_trunc('day', ("source"."sent_at" AT TIME ZONE $1)), 'YYYY-MM-DD') AS "sent_at", COUNT(*) AS "count" FROM "invoices" AS "source" WHERE ("source"."sent_at" >= $2 AND "source"."sent_at" < $3) GROUP BY 1 ORDER BY 1 ASC NULLS FIRST
-- args: ["Europe/Berlin","2024-06-08 00:00:00+02:00","2024-06-15 00:00:00+02:00"]
