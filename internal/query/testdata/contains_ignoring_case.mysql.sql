SELECT COUNT(*) AS `count` FROM `invoices` AS `source` WHERE (LOWER(`source`.`status`) LIKE LOWER(?) ESCAPE '!')
-- args: ["%AI%"]
