SELECT COUNT(*) AS `count`, SUM(`source`.`payment`) AS `sum` FROM `invoices` AS `source` WHERE (`source`.`payment` BETWEEN ? AND ?)
-- args: [20,80.5]
