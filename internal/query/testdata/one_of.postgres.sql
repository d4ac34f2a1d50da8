SELECT "source"."status" AS "status", COUNT(*) AS "count" FROM "invoices" AS "source" WHERE ("source"."status" IN ($1, $2)) GROUP BY 1 ORDER BY 1 ASC NULLS FIRST
-- args: ["Paid","Open"]
