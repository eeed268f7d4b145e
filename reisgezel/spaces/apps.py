from django.apps import AppConfig


class SpacesConfig(AppConfig):
    name = "reisgezel.spaces"
    label = "spaces"
    verbose_name = "Spaces"

    def ready(self) -> None:
        from reisgezel.accounts.erasure import erasure_step_register
        from reisgezel.spaces.account_erasure import SPACES_ERASURE

        erasure_step_register(SPACES_ERASURE)
        from reisgezel.agenda.selectors import PARTNER_DASHBOARD
        from reisgezel.core.sections import section_register
        from reisgezel.spaces.pages import partner_desk_section

        section_register(PARTNER_DASHBOARD, "spaces", partner_desk_section)
        from reisgezel.places.room_capacity import over_capacity_finder_register
        from reisgezel.spaces.selectors import bookings_over_capacity

        over_capacity_finder_register("spaces", bookings_over_capacity)
