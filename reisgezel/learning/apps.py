from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "reisgezel.learning"
    label = "learning"
    verbose_name = "Learning"

    def ready(self) -> None:
        from reisgezel.accounts.erasure import erasure_step_register
        from reisgezel.learning.account_erasure import LEARNING_ERASURE

        erasure_step_register(LEARNING_ERASURE)
        from reisgezel.learning.selectors import editions_over_capacity, slots_over_capacity
        from reisgezel.places.room_capacity import over_capacity_finder_register

        over_capacity_finder_register("learning", slots_over_capacity)
        over_capacity_finder_register("learning.editions", editions_over_capacity)
        # Search document types and signal-free hooks are registered here by the
        # modules that own them (see learning/search.py once it exists).
        from importlib import import_module
        from importlib.util import find_spec

        if find_spec("reisgezel.learning.search") is not None:
            import_module("reisgezel.learning.search").register_all()
