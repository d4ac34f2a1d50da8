SELECT CAST(strftime('%H', "source"."sent_at") AS INTEGER) AS "H", datetime("source"."sent_at", (CAST(? AS INTEGER) * 3600) || ' seconds') AS "Later" FROM "invoices" AS "source" LIMIT ?
-- args: [3,3]
