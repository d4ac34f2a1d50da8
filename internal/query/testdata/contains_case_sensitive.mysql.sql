SELECT COUNT(*) AS `count` FROM `invoices` AS `source` WHERE (`source`.`status` LIKE BINARY ? ESCAPE '!')
-- args: ["%AI%"]
