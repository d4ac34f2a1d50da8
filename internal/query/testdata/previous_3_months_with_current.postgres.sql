SELECT to_char(date_trunc('month', "source"."paid_at"), 'YYYY-MM-DD') AS "paid_at", COUNT(*) AS "count" FROM "invoices" AS "source" WHERE ("source"."paid_at" >= $1 AND "source"."paid_at" < $2) GROUP BY 1 ORDER BY 1 ASC NULLS FIRST
-- args: ["2024-03-01 00:00:00","2024-07-01 00:00:00"]
