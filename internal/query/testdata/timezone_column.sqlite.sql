SELECT date("source"."sent_at") AS "sent_at", COUNT(*) AS "count" FROM "invoices" AS "source" WHERE ("source"."sent_at" >= ? AND "source"."sent_at" < ?) GROUP BY 1 ORDER BY 1 ASC
-- args: ["2024-06-08 00:00:00","2024-06-15 00:00:00"]
