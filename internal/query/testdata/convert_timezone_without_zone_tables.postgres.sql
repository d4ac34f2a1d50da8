SELECT (("source"."paid_at" AT TIME ZONE $1) AT TIME ZONE $2) AS "Tokyo" FROM "invoices" AS "source"
-- args: ["Europe/Berlin","Asia/Tokyo"]
