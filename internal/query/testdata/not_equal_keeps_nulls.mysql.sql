SELECT COUNT(*) AS `count` FROM `invoices` AS `source` WHERE (`source`.`status` <> ? OR `source`.`status` IS NULL)
-- args: ["Paid"]
