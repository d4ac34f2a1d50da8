SELECT `source`.`status` AS `status`, COUNT(*) AS `count` FROM `invoices` AS `source` WHERE (NOT (LOWER(`source`.`status`) LIKE LOWER(?) ESCAPE '!') OR `source`.`status` IS NULL) GROUP BY 1 ORDER BY 1 ASC
-- args: ["%a%"]
