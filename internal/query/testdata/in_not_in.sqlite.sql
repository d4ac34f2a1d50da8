SELECT "source"."status" AS "status", COUNT(*) AS "count" FROM "invoices" AS "source" WHERE (("source"."status" IN (?, ?)) AND ("source"."account_id" NOT IN (?, ?) OR "source"."account_id" IS NULL)) GROUP BY 1 ORDER BY 1 ASC
-- args: ["Paid","Open",1,2]
