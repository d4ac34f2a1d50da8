SELECT `source`.`id` AS `id`, `source`.`name` AS `name`, `source`.`price` AS `price`, (`source`.`price` * ?) AS `Yearly` FROM `plans` AS `source` ORDER BY `source`.`price` DESC
-- args: [12]
