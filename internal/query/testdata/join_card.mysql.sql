SELECT `source`.`name` AS `name`, `Totals`.`sum` AS `Totals__sum` FROM `accounts` AS `source` LEFT JOIN (SELECT `source`.`account_id` AS `account_id`, SUM(`source`.`payment`) AS `sum`, COUNT(*) AS `count` FROM `invoices` AS `source` GROUP BY 1 ORDER BY 1 ASC) AS `Totals` ON (`source`.`id` = `Totals`.`account_id`) ORDER BY `source`.`id` ASC
-- args: []
