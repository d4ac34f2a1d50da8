SELECT COUNT(*) AS "count" FROM "invoices" AS "source" WHERE ("source"."status" GLOB ?)
-- args: ["*AI*"]
