SELECT strftime('%Y-%m-01', "source"."two words") AS "two words", COUNT(*) AS "count" FROM "Order" AS "source" GROUP BY 1 ORDER BY 1 ASC
-- args: []
