SELECT COUNT(*) AS "count", COUNT("source"."status") AS "count_2", COUNT(DISTINCT "source"."account_id") AS "count_3", SUM("source"."payment") AS "sum", AVG(CAST("source"."payment" AS REAL)) AS "avg", MIN("source"."payment") AS "min", MAX("source"."date_received") AS "max" FROM "invoices" AS "source"
-- args: []
