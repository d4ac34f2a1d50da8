SELECT "source"."status" AS "status", COUNT(*) AS "count" FROM "invoices" AS "source" WHERE ("source"."status" IN (?, ?)) GROUP BY 1 ORDER BY 1 ASC
-- args: ["Paid","Open"]
