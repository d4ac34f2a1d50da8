SELECT COUNT(*) AS "count", SUM("source"."payment") AS "sum" FROM (SELECT id, payment FROM invoices WHERE payment > 100) AS "source"
-- args: []
